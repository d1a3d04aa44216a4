// 为你推荐：在手机上为这位用户排序商品，并写明每件商品为什么被选中。
// The engine (goods-ranker/miniprogram, bundled by Taro's webpack) loads its
// WebAssembly module from the code package, ranks the sample catalog for this user at
// their GCJ-02 location, learns from taps (a tap here stands for a purchase) and keeps
// the profile on the phone with Taro.setStorageSync. Nothing about the user is sent.
import { useRef, useState } from 'react'
import Taro, { useLoad, usePullDownRefresh, useUnload } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { init, Engine, Profile } from 'goods-ranker/miniprogram'
import { catalogAt, sampleUser } from 'goods-ranker/miniprogram/sample.js'
import './index.css'

// Code-package path of the engine's module: config/index.js copies it from
// node_modules/goods-ranker/miniprogram/ into dist/goods-ranker/. (For catalogs of
// many thousands of offers, also copy goods_ranker_simd_bg.wasm.br and pass its path
// as `simdPath`: WeChat ≥ 8.0.25 then loads the SIMD module, others this one.)
const WASM_PATH = '/goods-ranker/goods_ranker_bg.wasm.br'
const PROFILE_KEY = 'goods-ranker:profile'
// This example starts a first-time user from a sample person (a grandmother who buys
// eggs every week); a real app starts from `new Profile()`.
const DEMO_USER = 'grandma'
const FEED_SIZE = 10

// One engine for the app's lifetime: the catalog stays in wasm memory between pages.
let enginePromise = null
function getEngine () {
  if (!enginePromise) {
    enginePromise = init({ path: WASM_PATH })
      // A real mini-program fetches its catalog from its server (Taro.request) here.
      .then(() => Engine.fromCatalog(catalogAt(Date.now())))
    enginePromise.catch(() => { enginePromise = null })
  }
  return enginePromise
}

function loadProfile () {
  const saved = Taro.getStorageSync(PROFILE_KEY) // '' when nothing is saved
  if (saved) {
    try {
      return Profile.load(saved)
    } catch (e) {
      Taro.removeStorageSync(PROFILE_KEY) // corrupted or from an incompatible version: start fresh
    }
  }
  return Profile.fromUser(sampleUser(DEMO_USER, Date.now()).user)
}

/** The user's location as GCJ-02 (what WeChat maps use), or null if they said no. */
function getLocation () {
  return Taro.getLocation({ type: 'gcj02' }).then(
    (res) => ({ lat: res.latitude, lng: res.longitude, datum: 'gcj02' }),
    () => null
  )
}

function formatDistance (m) {
  if (m === undefined) return ''
  return m < 1000 ? `${Math.round(m)} 米` : `${(m / 1000).toFixed(1)} 公里`
}

export default function Feed () {
  const [view, setView] = useState({ loading: true, error: '', offers: [], eventCount: 0 })
  // The engine, the profile and the location live outside React state: they are
  // wasm objects and inputs, not things to render.
  const session = useRef({ engine: null, profile: null, location: null })

  function rank () {
    const { engine, profile, location } = session.current
    const options = { now: Date.now(), limit: FEED_SIZE, locale: 'zh-CN' }
    if (location) options.location = location
    const feed = engine.rank(profile, options)
    setView({
      loading: false,
      error: '',
      eventCount: profile.eventCount,
      offers: feed.map((o) => ({
        offerId: o.offerId,
        title: o.title,
        price: `¥${o.price.toFixed(2)}`,
        store: [o.storeName, formatDistance(o.distanceM)].filter(Boolean).join(' · '),
        reasons: o.reasons.map((r) => r.text)
      }))
    })
  }

  function refresh () {
    return getEngine()
      .then((engine) => {
        session.current.engine = engine
        if (!session.current.profile) session.current.profile = loadProfile()
        return getLocation()
      })
      .then((location) => {
        session.current.location = location
        rank()
      })
      .catch((e) => {
        setView((v) => ({ ...v, loading: false, error: `加载失败：${e && e.message ? e.message : e}` }))
      })
  }

  useLoad(() => { refresh() })
  usePullDownRefresh(() => { refresh().then(() => Taro.stopPullDownRefresh()) })
  useUnload(() => {
    const { profile } = session.current
    if (profile) {
      Taro.setStorageSync(PROFILE_KEY, profile.toBase64())
      profile.free()
      session.current.profile = null
    }
  })

  /** A tap buys the offer: the profile learns it, is saved right away, and the feed is ranked again. */
  function onBuy (offerId) {
    const { engine, profile } = session.current
    if (!engine || !profile) return
    engine.record(profile, { type: 'purchase', offerId, at: Date.now() })
    Taro.setStorageSync(PROFILE_KEY, profile.toBase64())
    rank()
  }

  const { loading, error, offers, eventCount } = view
  return (
    <View className='feed'>
      {loading && <View className='feed__status'>正在加载推荐…</View>}
      {error && <View className='feed__error'>{error}</View>}
      {offers.map((o) => (
        <View key={o.offerId} className='offer' data-offer-id={o.offerId} onClick={() => onBuy(o.offerId)}>
          <View className='offer__head'>
            <Text className='offer__title'>{o.title}</Text>
            <Text className='offer__price'>{o.price}</Text>
          </View>
          {o.store && <View className='offer__store'>{o.store}</View>}
          <View className='offer__reasons'>
            {o.reasons.map((r) => <Text key={r} className='offer__reason'>{r}</Text>)}
          </View>
        </View>
      ))}
      {!loading && !error && (
        <View className='feed__footer'>点一下商品即记为购买，推荐会随之更新（已记录 {eventCount} 次行为，只保存在本机）</View>
      )}
    </View>
  )
}
